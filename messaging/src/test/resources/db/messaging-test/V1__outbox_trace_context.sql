-- The trace context columns the producing services add in their own V2 migration, which the outbox entity maps
ALTER TABLE outbox_message ADD COLUMN traceparent VARCHAR(55), ADD COLUMN tracestate TEXT;
