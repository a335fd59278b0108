/**
 * What a failed Kubernetes call says, in one line. client-node throws ApiException (status in
 * `code`, the apiserver's Status in `body`) from API calls and a plain Error with `statusCode`
 * from watches; its message carries headers and the whole body, too much for a log line.
 */

/** The HTTP status of a failed API or watch call, if it got that far. */
export function apiStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function isConflict(error: unknown): boolean {
  return apiStatus(error) === 409;
}

export function isNotFound(error: unknown): boolean {
  return apiStatus(error) === 404;
}

/** `HTTP 403: <the apiserver's message>`, or the error's own message, or the code of a socket error. */
export function describeError(error: unknown): string {
  const status = apiStatus(error);
  if (status !== undefined) {
    const message = statusMessage((error as { body?: unknown }).body) ?? (error instanceof Error ? error.message.split('\n')[0] : undefined);
    return `HTTP ${status}${message ? `: ${message}` : ''}`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.length > 0 && body.length < 300 ? body : undefined;
    }
  }
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return undefined;
}
