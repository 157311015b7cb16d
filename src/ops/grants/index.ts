// What other features use of grants: creating a grant, with its event, inside their own transaction.
export { insertGrantWithEvent } from './insert-grant.js';
// Every event about a grant names the grant, its holder and its item.
export { grantSubjects } from './notices.js';
