// What other features use of requests: the requests a person may decide now (the inbox).
export { listRequests } from './queries.js';
