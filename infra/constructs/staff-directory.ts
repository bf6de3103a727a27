// The staff accounts of the global deployment: a Cognito user pool (administrators create every
// account, TOTP required), its role groups, its hosted sign-in domain and the console's app client.
// State (every staff account), so it lives in the stateful stack: redeploying or destroying the
// stateless stack never touches it.
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/http/auth/principal.js';
import type { PlatformConfig } from '../config.js';
import { acknowledge } from './acknowledge.js';

/** Claims a staff token may carry besides the role group: the pool's custom attributes (principal.ts reads custom:department / custom:division). */
export const COGNITO_CUSTOM_ATTRIBUTES = ['department', 'division'] as const;

export class StaffDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** What the console needs to sign staff in (its /console-config.json), when its address is known. */
  readonly consoleSignIn?: { discovery: string; clientId: string; origins: string[] };

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id);
    const stack = Stack.of(this);
    this.userPool = new cognito.UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      customAttributes: Object.fromEntries(COGNITO_CUSTOM_ATTRIBUTES.map((a) => [a, new cognito.StringAttribute({ mutable: true, maxLen: 64 })])),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role, description: `Platform role ${role}` });
    }
    // The hosted sign-in page (TOTP included) the console sends staff to.
    this.domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: config.cognitoDomainPrefix ?? `${config.stackPrefix.toLowerCase()}-staff-${stack.account}` } });
    this.client = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // The console signs in by the authorization-code flow with PKCE (a public client: no secret,
      // no implicit flow), back to its own address only.
      ...(config.consoleUrl
        ? { oAuth: { flows: { authorizationCodeGrant: true }, scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL], callbackUrls: [config.consoleUrl], logoutUrls: [config.consoleUrl] } }
        : { disableOAuth: true }),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // A person must not set her own department or division: only administrators write them.
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(...COGNITO_CUSTOM_ATTRIBUTES),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    acknowledge(this.userPool, {
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus plan (threat protection) costs per active user; staff accounts are created by administrators only (no self sign-up) and every sign-in needs MFA (TOTP). Switch featurePlan to PLUS if the budget allows.',
    });
    this.consoleSignIn = config.consoleUrl
      ? {
          discovery: `${this.userPool.userPoolProviderUrl}/.well-known/openid-configuration`,
          clientId: this.client.userPoolClientId,
          origins: [this.domain.baseUrl(), `https://cognito-idp.${stack.region}.${stack.urlSuffix}`],
        }
      : undefined;
    new CfnOutput(stack, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito user pool of staff accounts (npm run staff:add)' });
    new CfnOutput(stack, 'StaffClientId', { value: this.client.userPoolClientId, description: 'App client of the console (the JWT audience)' });
    new CfnOutput(stack, 'StaffSignInUrl', { value: this.domain.baseUrl(), description: 'Cognito hosted sign-in domain of staff' });
    new CfnOutput(stack, 'StaffIssuer', { value: this.userPool.userPoolProviderUrl, description: 'Issuer of staff tokens' });
  }
}
