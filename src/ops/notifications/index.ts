// What other features use of notifications: sending to a webhook (the audit stream does), and describing a
// delivery failure without the channel's secrets.
export { deliveryErrorText } from './channels/delivery-error.js';
export { postWebhook, type WebhookDelivery } from './channels/webhook.js';
export { emailedCount } from './email-reach.js';
