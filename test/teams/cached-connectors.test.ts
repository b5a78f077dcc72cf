import assert from 'node:assert/strict';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  PasswordServiceClientCredentialFactory,
  type AuthenticateRequestResult,
  type BotFrameworkAuthentication,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { CachedConnectorAuthentication } from '../../src/teams/cached-connectors';

/** An inner authentication whose connector factory counts the clients it builds. */
function countingAuthentication() {
  const built = { connectors: 0, proactive: 0, failNext: false };
  const claims = new ClaimsIdentity([
    { type: AuthenticationConstants.AudienceClaim, value: 'bot' },
  ]);
  const factory = (counter: 'connectors' | 'proactive') =>
    new (class extends ConnectorFactory {
      async create(serviceUrl: string): Promise<ConnectorClient> {
        built[counter] += 1;
        if (built.failNext) {
          built.failNext = false;
          throw new Error('credentials not available');
        }
        const credentials = await new PasswordServiceClientCredentialFactory(
          '',
          '',
        ).createCredentials('', '', '', false);
        return new ConnectorClient(credentials, { baseUri: serviceUrl });
      }
    })();
  const inner = {
    authenticateRequest: async (): Promise<AuthenticateRequestResult> => ({
      claimsIdentity: claims,
      audience: 'https://api.botframework.com',
      callerId: '',
      connectorFactory: factory('connectors'),
    }),
    createConnectorFactory: () => factory('proactive'),
  } as unknown as BotFrameworkAuthentication;
  return { auth: new CachedConnectorAuthentication(inner), built, claims };
}

const activity = { type: 'invoke' } as Activity;

describe('CachedConnectorAuthentication', () => {
  it('gives turns from the same service URL one shared connector client', async () => {
    const { auth, built } = countingAuthentication();

    const first = await auth.authenticateRequest(activity, 'Bearer x');
    const second = await auth.authenticateRequest(activity, 'Bearer x');
    const a = await first.connectorFactory!.create('https://smba.example/amer/');
    const b = await second.connectorFactory!.create('https://smba.example/amer/');

    assert.equal(a, b);
    assert.equal(built.connectors, 1);
  });

  it('keeps one client per service URL', async () => {
    const { auth, built } = countingAuthentication();

    const result = await auth.authenticateRequest(activity, 'Bearer x');
    const amer = await result.connectorFactory!.create('https://smba.example/amer/');
    const emea = await result.connectorFactory!.create('https://smba.example/emea/');

    assert.notEqual(amer, emea);
    assert.equal(built.connectors, 2);
  });

  it('shares one client between proactive sends to the same service URL', async () => {
    const { auth, built, claims } = countingAuthentication();

    const a = await auth.createConnectorFactory(claims).create('https://smba.example/amer/');
    const b = await auth.createConnectorFactory(claims).create('https://smba.example/amer/');

    assert.equal(a, b);
    assert.equal(built.proactive, 1);
  });

  it('builds a client again after building one failed', async () => {
    const { auth, built, claims } = countingAuthentication();
    const factory = auth.createConnectorFactory(claims);
    built.failNext = true;

    await assert.rejects(factory.create('https://smba.example/amer/'));
    const client = await factory.create('https://smba.example/amer/');

    assert.ok(client instanceof ConnectorClient);
    assert.equal(built.proactive, 2);
  });
});
