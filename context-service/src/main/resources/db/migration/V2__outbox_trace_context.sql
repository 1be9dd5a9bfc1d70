-- W3C trace context the event was written in, sent as Kafka headers so one trace follows a job across services;
-- null when tracing is off
ALTER TABLE outbox_message ADD COLUMN traceparent VARCHAR(55), ADD COLUMN tracestate TEXT;
