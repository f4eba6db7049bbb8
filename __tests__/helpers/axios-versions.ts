/**
 * The axios versions and adapters the token-transport tests run on: 1.7.9 (the lowest with a fetch
 * adapter, which ignores `maxRedirects` and `maxContentLength`), 1.19.0 (the last such), the newest.
 */
import axiosNewest from 'axios';
import axios17 from 'axios-1.7';
import axios119 from 'axios-1.19';

export const AXIOS_VERSIONS = [
  ['1.7.9', axios17],
  ['1.19.0', axios119],
  ['newest', axiosNewest],
] as unknown as Array<[string, typeof axiosNewest]>;

export const ADAPTERS = ['http', 'fetch'] as const;
