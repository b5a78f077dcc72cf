import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The issuer the Bot Framework channel puts in the tokens it sends to bots. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface ChannelClaims {
  iss: string;
  aud: string;
  serviceurl: string;
  /** Seconds since the epoch. */
  exp: number;
  /** Seconds since the epoch. */
  nbf: number;
}

export interface MintOptions {
  /** The app id the token is for (the `aud` claim). */
  appId: string;
  /** The activity's serviceUrl (the `serviceurl` claim). */
  serviceUrl: string;
  /** Replaces any of the default claims. */
  claims?: Partial<ChannelClaims>;
  /**
   * Which key signs the token: the published, endorsed one (default); a published key endorsed
   * for another channel only; a key the issuer never published (signed under the trusted kid
   * unless `kid` says otherwise); or no key at all (`alg: none`, unsigned).
   */
  signWith?: 'trusted' | 'unendorsed' | 'rogue' | 'none';
  /** Replaces the kid in the header. */
  kid?: string;
}

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Stands in for the Bot Framework's token service: serves OpenID metadata and a JWKS on a local
 * port (point BOT_OPENID_METADATA_URL at `metadataUrl`) and mints the RS256 tokens Teams would
 * send, or broken ones.
 */
export class TokenIssuer {
  static readonly TRUSTED_KID = 'test-channel-key';
  static readonly UNENDORSED_KID = 'test-webchat-key';

  url = '';
  /** How many times the JWKS was fetched: the adapter caches keys per metadata URL. */
  jwksRequests = 0;
  private server?: Server;

  private constructor(
    private readonly trusted: KeyPair,
    private readonly unendorsed: KeyPair,
    private readonly rogue: KeyPair,
  ) {}

  static async start(): Promise<TokenIssuer> {
    const issuer = new TokenIssuer(
      await keyPair(TokenIssuer.TRUSTED_KID),
      await keyPair(TokenIssuer.UNENDORSED_KID),
      await keyPair(TokenIssuer.TRUSTED_KID),
    );
    await issuer.listen();
    return issuer;
  }

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  async mint(options: MintOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: ChannelClaims = {
      iss: CHANNEL_ISSUER,
      aud: options.appId,
      serviceurl: options.serviceUrl,
      nbf: now - 60,
      exp: now + 60 * 60,
      ...options.claims,
    };
    const signWith = options.signWith ?? 'trusted';
    const pair = {
      trusted: this.trusted,
      unendorsed: this.unendorsed,
      rogue: this.rogue,
      none: this.trusted,
    }[signWith];
    const kid = options.kid ?? pair.kid;

    if (signWith === 'none') {
      const header = base64url({ alg: 'none', typ: 'JWT', kid });
      return `${header}.${base64url(claims)}.`;
    }
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .sign(pair.privateKey);
  }

  private async listen() {
    const keys = [
      { ...this.trusted.publicJwk, endorsements: ['msteams'] },
      { ...this.unendorsed.publicJwk, endorsements: ['webchat'] },
    ];
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      let body: unknown;
      if (path === '/v1/.well-known/openidconfiguration') {
        body = {
          issuer: CHANNEL_ISSUER,
          authorization_endpoint: `${this.url}/v1/authorize`,
          jwks_uri: `${this.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        };
      } else if (path === '/v1/.well-known/keys') {
        this.jwksRequests += 1;
        body = { keys };
      }
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

async function keyPair(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, kty: 'RSA', use: 'sig', alg: 'RS256' };
  return { kid, privateKey, publicJwk };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
