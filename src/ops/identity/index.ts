// What other features use of identity: resolving a bearer token to its user, scope and expiry.
export { authenticateToken, type Authenticated } from './authenticate-token.js';
