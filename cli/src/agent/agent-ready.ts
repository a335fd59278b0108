/** The line the site agent logs once it serves; the local platform waits for it. */
export const AGENT_READY = 'site agent ready';
