// What other features use of items: creating a group, with its event, inside their own transaction.
export { insertGroupWithEvent } from './create-group.js';
