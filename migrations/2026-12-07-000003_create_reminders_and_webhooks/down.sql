DROP TABLE webhook_deliveries;
DROP TABLE webhook_progress;
DROP TABLE webhooks;
DROP TABLE notifications;
ALTER TABLE users DROP COLUMN language;
DROP TRIGGER indicators_owner_member ON indicators;
DROP FUNCTION planspor_indicator_owner_is_member();
ALTER TABLE indicators DROP COLUMN grace_days, DROP COLUMN owner_id;
