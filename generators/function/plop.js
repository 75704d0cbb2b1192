/**
 * The `function` generator: `npx plop function` in a generated package (its plopfile.js loads this
 * file from the create-interop-module installed there), and what `create-interop-module add` runs
 * through node-plop with the answers it parsed from its flags. Both plan with plan.js and write the
 * same files.
 */
import { GeneratorError } from '../errors.js';
import { applyPlan, describePlan, planFunction } from './plan.js';
import { argumentTypes, functionNameProblem, modes, parseArguments, returnTypes } from './signature.js';

/**
 * The generator's answers: from its prompts, or from the CLI.
 * @typedef {object} FunctionAnswers
 * @property {string} name
 * @property {string[] | string} args each `name:type`, or one line of them separated by spaces or commas
 * @property {string} returns
 * @property {string} mode offload or sync
 * @property {boolean} [dryRun] plan, print, write nothing
 */

/** @param {string[] | string} args */
export const argumentSpecs = (args) => (Array.isArray(args) ? args : args.split(/[\s,]+/).filter((spec) => spec !== ''));

/**
 * Plans the function in the package at node-plop's destination, and writes it unless a dry run.
 * node-plop reports a thrown error as text, so the message keeps the code in front.
 * @param {FunctionAnswers} answers
 * @param {unknown} _config
 * @param {{ getDestBasePath(): string }} plop
 */
async function addFunction(answers, _config, plop) {
  try {
    const plan = await planFunction(plop.getDestBasePath(), {
      name: answers.name,
      args: argumentSpecs(answers.args),
      returns: answers.returns,
      mode: answers.mode,
    });
    if (plan.alreadyAdded) return `${answers.name} is already in the package as asked: nothing changed`;
    if (answers.dryRun === true) return `would write:\n${describePlan(plan)}`;
    const written = await applyPlan(plan);
    return `${written.length} files:\n${describePlan(plan)}`;
  } catch (error) {
    if (error instanceof GeneratorError) throw new Error(`${error.code}: ${error.message}`);
    throw error;
  }
}

/**
 * @param {import('node-plop').NodePlopAPI} plop
 */
export default function registerFunctionGenerator(plop) {
  plop.setActionType('addFunction', /** @type {import('node-plop').CustomActionFunction} */ (/** @type {unknown} */ (addFunction)));
  plop.setGenerator('function', {
    description: 'a function of your own in this package: native side, wrapper, reference, tests, bench',
    prompts: [
      { type: 'input', name: 'name', message: 'Function name (camelCase)', validate: (/** @type {string} */ value) => functionNameProblem(value) ?? true },
      {
        type: 'input',
        name: 'args',
        message: `Arguments, as name:type separated by spaces (types: ${argumentTypes.join(', ')})`,
        validate: (/** @type {string} */ value, /** @type {Partial<FunctionAnswers>} */ answers) => {
          const parsed = parseArguments(argumentSpecs(value), answers?.name ?? '');
          return typeof parsed === 'string' ? parsed : true;
        },
      },
      { type: 'list', name: 'returns', message: 'Returns', choices: [...returnTypes] },
      { type: 'list', name: 'mode', message: 'Run it', choices: [...modes], default: 'offload' },
    ],
    actions: [{ type: 'addFunction' }],
  });
}
