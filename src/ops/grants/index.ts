// What other features use of grants: creating a grant, with its event, inside their own transaction.
export { insertGrantWithEvent } from './insert-grant.js';
