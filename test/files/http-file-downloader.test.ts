import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpFileDownloader } from '../../src/files/http-file-downloader';
import { createLogger } from '../../src/logger';

describe('HttpFileDownloader', () => {
  let server: Server;
  let base = '';
  const downloader = new HttpFileDownloader(['127.0.0.1'], createLogger('silent'));

  before(async () => {
    server = createServer((request, response) => {
      if (request.url === '/elsewhere') {
        response.writeHead(302, { location: 'https://intranet.contoso.example/secret' });
        response.end();
      } else if (request.url === '/moved') {
        response.writeHead(302, { location: '/file' });
        response.end();
      } else if (request.url === '/declared-big') {
        response.writeHead(200, { 'content-length': '5000' });
        response.end(Buffer.alloc(5000));
      } else {
        response.end('evidence');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  it('follows a redirect within the allowed hosts', async () => {
    const result = await downloader.download(`${base}/moved`, 100);

    assert.equal(result.ok, true);
    assert.equal(result.ok && Buffer.from(result.content).toString(), 'evidence');
  });

  it('refuses a redirect to a host it may not fetch from', async () => {
    const result = await downloader.download(`${base}/elsewhere`, 100);

    assert.deepEqual(result, { ok: false, reason: 'not-allowed-host' });
  });

  it('refuses a file whose declared length is over the limit', async () => {
    const result = await downloader.download(`${base}/declared-big`, 1000);

    assert.deepEqual(result, { ok: false, reason: 'too-large' });
  });

  it('refuses plain http to anything but loopback, even when the host is listed', async () => {
    const listed = new HttpFileDownloader(['files.contoso.example'], createLogger('silent'));

    const result = await listed.download('http://files.contoso.example/a.txt', 100);

    assert.deepEqual(result, { ok: false, reason: 'not-allowed-host' });
  });
});
