-- A job from a CircleCI config runs as steps (issue 15): the expanded steps, the job's own environment and its
-- first image, as JSON text like the other list columns. Jobs triggered with a plain command keep steps null.
ALTER TABLE job ADD COLUMN steps TEXT;
ALTER TABLE job ADD COLUMN environment TEXT;
ALTER TABLE job ADD COLUMN image TEXT;
-- CIRCLE_BUILD_NUM: a number that grows with every job, given by the database so parallel triggers never share one.
CREATE SEQUENCE job_build_num;
ALTER TABLE job ADD COLUMN build_num BIGINT NOT NULL DEFAULT nextval('job_build_num');
