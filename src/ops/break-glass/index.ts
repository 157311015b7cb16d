// What other features use of break-glass: telling owners about an activation that ended (an expiry, say).
export { queueBreakGlassNotice } from './notices.js';
