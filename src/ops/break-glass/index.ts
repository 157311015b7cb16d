// What other features use of break-glass: telling owners about an activation that ended (an expiry, say), and
// the activations a person may review (the inbox).
export { queueBreakGlassNotice } from './notices.js';
export { listActivations } from './queries.js';
