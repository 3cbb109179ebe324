import { register } from 'tsx/esm/api';
register();
const m = await import(process.argv[2]);
process.exit(await m.main(process.argv.slice(3)));
