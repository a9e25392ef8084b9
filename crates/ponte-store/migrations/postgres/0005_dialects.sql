-- The dialect that owns a link's webhooks (its consents' and reports'
-- events are rendered by it), and the dialect that rendered each message,
-- so the dispatcher asks the same one for anything it adds per attempt.
ALTER TABLE links ADD COLUMN dialect TEXT NOT NULL DEFAULT 'data_api';
ALTER TABLE webhook_messages ADD COLUMN dialect TEXT NOT NULL DEFAULT 'data_api';
