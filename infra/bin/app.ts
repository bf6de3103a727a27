// CDK entry point (cdk.json: "app": "npx tsx infra/bin/app.ts"). Configuration: cdk.json context,
// overridable with -c key=value (see infra/config.ts and docs/deploy.md).
import { App } from 'aws-cdk-lib';
import { buildPlatform } from '../platform.js';

buildPlatform(new App());
