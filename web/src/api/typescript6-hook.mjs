// Node resolve hook, registered by generate.ts: openapi-typescript builds its output with the
// TypeScript compiler API (ts.factory), which TypeScript 7, the project's compiler, no longer ships
// (openapi-ts/openapi-typescript#2841). Its imports of `typescript` get TypeScript 6's API instead,
// from @typescript/typescript6; everything else keeps TypeScript 7. Delete once openapi-typescript
// supports TypeScript 7.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/'))
    return nextResolve('@typescript/typescript6', context);
  return nextResolve(specifier, context);
}
