import type { Context } from 'hono';

/**
 * Ends the connection after this response: `Connection: close`, which Node's HTTP server
 * honours by sending its FIN once the response is written.
 *
 * Why: a refused upload (413) is answered before its body is read, and a connection still
 * owed the rest of that body cannot carry another request. Said `keep-alive`, the client
 * would send its next request on a socket the server then drops; said `close`, it reads the
 * whole answer and opens a new connection.
 *
 * @example
 * closeConnectionAfter(c); // then throw or return the response
 */
export function closeConnectionAfter(c: Context): void {
  c.header('Connection', 'close');
}
