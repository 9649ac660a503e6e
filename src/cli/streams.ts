/** Process output that ends quietly when its reader goes away (`k8sim run ... | head -5`), as Unix tools do. */

/**
 * Returns a writer for `stream` that drops everything once the stream failed: EPIPE when the reading end of a pipe
 * closed, or any other write error. Without the error listener Node would die of an unhandled 'error' event with a
 * stack trace; the run itself goes on (its files are still written) and its exit code is unchanged.
 */
export function quietWriter(stream: NodeJS.WritableStream): (s: string) => void {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (s) => {
    if (closed) return;
    try {
      stream.write(s);
    } catch {
      closed = true; // a synchronous failure (a stream already destroyed) ends output the same way
    }
  };
}
