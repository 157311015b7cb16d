// The connector contract lives with the domain rules that use it; connectors import it from here.
export * from '../domain/connections/connector.js';
