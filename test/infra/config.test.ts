// cdk.json context: documented defaults, coercion of -c strings, errors that name the key, and the
// region-dependent choices of the China profile.
import { describe, expect, it } from 'vitest';
import { ConfigError, CONTEXT_DEFAULTS, loadConfig } from '../../infra/config.js';
import { CDK_JSON } from '../support/synth.js';

const from = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => loadConfig((k) => context[k], env);

describe('cdk.json context', () => {
  it('carries every documented key with its documented default', () => {
    for (const [key, value] of Object.entries(CONTEXT_DEFAULTS)) expect(CDK_JSON.context[key], key).toEqual(value);
  });
  it('uses classic cross-stack exports (Fn::ImportValue), which every region including China supports', () => {
    expect(CDK_JSON.context['@aws-cdk/core:defaultCrossStackReferences']).toBe('strong');
  });
});

describe('loadConfig', () => {
  it('falls back to the defaults: global region, SNS SMS, a Cognito pool (no issuer), no tracing', () => {
    const c = from({});
    expect(c).toMatchObject({
      region: 'ap-northeast-1',
      china: false,
      smsAdapter: 'sns',
      oidcIssuer: undefined,
      oidcAudience: ['referrals-api'],
      logRetentionDays: 180,
      tracing: false,
      account: undefined,
    });
  });
  it('coerces -c strings and splits audiences', () => {
    const c = from({ logRetentionDays: '90', apiThrottleRate: '20', tracing: 'true', oidcAudience: 'a, b' });
    expect(c).toMatchObject({ logRetentionDays: 90, apiThrottleRate: 20, tracing: true, oidcAudience: ['a', 'b'] });
  });
  it('takes the account from the context, else from CDK_DEFAULT_ACCOUNT', () => {
    expect(from({}, { CDK_DEFAULT_ACCOUNT: '111122223333' }).account).toBe('111122223333');
    expect(from({ account: '444455556666' }, { CDK_DEFAULT_ACCOUNT: '111122223333' }).account).toBe('444455556666');
  });
  it.each([
    [{ logRetentionDays: 100 }, 'logRetentionDays'],
    [{ smsGatewayUrl: 'http://sms.example.cn/send' }, 'smsGatewayUrl'],
    [{ region: 'mars-1' }, 'region'],
    [{ smsAdapter: 'carrier-pigeon' }, 'smsAdapter'],
    [{ alarmEmail: 'not-an-address' }, 'alarmEmail'],
    [{ smsSignature: '留守妇女关爱' }, 'smsSignature'],
    [{ closedCaseRetentionDays: 'forever' }, 'closedCaseRetentionDays'],
    [{ webConsoleOrigin: 'https://console.example.org/path' }, 'webConsoleOrigin'],
  ])('refuses %j, naming %s', (context, key) => {
    expect(() => from(context)).toThrow(ConfigError);
    expect(() => from(context)).toThrow(new RegExp(`invalid cdk context: ${key}:`));
  });
  it('gives the China profile for cn-north-1 and cn-northwest-1: HTTPS SMS gateway', () => {
    for (const region of ['cn-north-1', 'cn-northwest-1']) expect(from({ region })).toMatchObject({ china: true, smsAdapter: 'https-gateway' });
    expect(from({ region: 'ap-northeast-1', smsAdapter: 'https-gateway' }).smsAdapter).toBe('https-gateway');
  });
  it('refuses what the China regions do not offer', () => {
    expect(() => from({ region: 'cn-north-1', smsAdapter: 'sns' })).toThrow(/smsAdapter: SNS SMS is not offered/);
    expect(() => from({ region: 'cn-northwest-1', tracing: true })).toThrow(/tracing: X-Ray/);
  });
});
