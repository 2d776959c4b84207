/** A port on 127.0.0.1 that nothing listens on now, below the kernel's ephemeral range, never the same twice in one process. */
export function freePort(): Promise<number>;
