// Where the API is: the pages' own origin (empty, as under `npm start`), or the origin the build
// wrote into <meta name="api-base"> for a deployment where the API has its own domain.
export const API_BASE = document.querySelector<HTMLMetaElement>('meta[name="api-base"]')?.content.replace(/\/$/, '') ?? '';
