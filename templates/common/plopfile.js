// `npx plop function` adds a function to this package: the generator of `npx create-interop-module add`,
// loaded from the create-interop-module installed here (npm install --save-dev create-interop-module plop),
// so both write the same files for the templates this package was made from.
export default async function plopfile(plop) {
  let generator;
  try {
    generator = await import('create-interop-module/assets/generators/function/plop.js');
  } catch (error) {
    throw new Error('`npx plop function` needs create-interop-module here: npm install --save-dev create-interop-module plop', { cause: error });
  }
  await generator.default(plop);
}
