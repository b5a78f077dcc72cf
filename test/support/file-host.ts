import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for SharePoint's pre-authenticated download links: answers every path with `body`,
 * except /big.log, 3000 bytes streamed without a Content-Length (a limit must hold while the
 * body streams). Records each request's path and Authorization header.
 */
export class FileHost {
  requests: Array<{ path: string; authorization?: string }> = [];
  private server!: Server;
  url = '';

  constructor(private readonly body: Buffer) {}

  async start() {
    this.server = createServer((request, response) => {
      this.requests.push({ path: request.url ?? '', authorization: request.headers.authorization });
      if (request.url === '/big.log') {
        response.writeHead(200, { 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 10; i++) response.write(Buffer.alloc(300, 120));
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(this.body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}
