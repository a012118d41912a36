import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveScramSecrets, parseClientFirst, ScramError, serverFirst, verifyClientFinal } from '../../server/embedded-mongo/auth/scram.ts';

// The SCRAM-SHA-256 exchange of RFC 7677 §3, byte for byte.
const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const serverNonce = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const clientFinal = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';

describe('SCRAM-SHA-256 server side', () => {
  const secrets = deriveScramSecrets('pencil', salt, 4096);
  const first = parseClientFirst('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
  const reply = serverFirst(secrets, first.clientNonce, serverNonce);
  const exchange = { clientFirstBare: first.bare, serverFirst: reply.message, nonce: reply.nonce };

  it('answers the RFC 7677 example as the RFC does', () => {
    assert.equal(first.username, 'user');
    assert.equal(reply.message, 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    assert.equal(verifyClientFinal(secrets, exchange, clientFinal), 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('refuses a wrong proof, a foreign nonce and a wrong password', () => {
    assert.throws(() => verifyClientFinal(secrets, exchange, clientFinal.replace('p=dHzb', 'p=dHzc')), ScramError);
    assert.throws(() => verifyClientFinal(secrets, exchange, clientFinal.replace('k0,p=', 'k1,p=')), ScramError);
    assert.throws(() => verifyClientFinal(deriveScramSecrets('pencil2', salt, 4096), exchange, clientFinal), ScramError);
    assert.throws(() => parseClientFirst('p=tls-unique,,n=user,r=abc'), ScramError);
  });
});
