// What other features use of stored secrets: sealing a channel's, a schedule's or a connection's secrets for its row, and
// opening them at the moment of use.
export { channelSendConfig, openChannelSecrets, sealChannelSecrets } from './channel-secrets.js';
export { openScheduleSecret, sealScheduleSecret } from './schedule-secrets.js';
export { openConnectionSecrets, sealConnectionSecrets } from './connection-secrets.js';
