// What an outbound call fails with besides the network's own errors. Messages name a host, never a URL: feed
// and webhook URLs carry secrets in their path or query.

export const HOW_TO_ALLOW = 'to call it anyway, add the host or its address to LATCH_OUTBOUND_ALLOW';

/** The destination is not public and the operator did not allow it. */
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  constructor(
    readonly host: string,
    readonly address: string,
    reason: string,
  ) {
    const where = host === address ? host : `${host} (${address})`;
    super(`refused to connect to ${where}: ${reason} is not a public destination; ${HOW_TO_ALLOW}`);
    this.name = 'OutboundRefusedError';
  }
}

/** An answer that is not used: a redirect not followed (too many, to no http(s) address, after a POST), a bad status. */
export class OutboundAnswerError extends Error {
  constructor(
    readonly problem: string,
    readonly status: number,
  ) {
    super(problem);
    this.name = 'OutboundAnswerError';
  }
}

/** The answer's body grew past the size the caller accepts. */
export class OutboundTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.name = 'OutboundTooLargeError';
  }
}
