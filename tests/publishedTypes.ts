// Checks values against the published `@civitai/client` types with the TypeScript checker (one program
// over the installed declarations): used by tests/unit/families.test.ts and tests/unit/engines.test.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Check {
	readonly name: string;
	/** A TypeScript type over the namespace `Civitai` (the published package). */
	readonly type: string;
	readonly value: unknown;
}

/**
 * Type-checks each value as an object literal of its type in one program over the installed
 * `@civitai/client` declarations: excess properties and wrong enum strings are errors. Returns the
 * diagnostics of each check by name (empty when it fits).
 */
export function publishedTypeErrors(checks: readonly Check[]): Map<string, string[]> {
	const fileName = join(root, 'tests', 'unit', '__published_types_check__.ts');
	const lines = ["import type * as Civitai from '@civitai/client';"];
	for (const [index, check] of checks.entries()) lines.push(`export const check${index}: ${check.type} = ${JSON.stringify(check.value)};`);
	const source = lines.join('\n');
	const options: ts.CompilerOptions = {
		strict: true,
		noEmit: true,
		skipLibCheck: true,
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.ESNext,
		// The package's declarations re-export without file extensions: bundler resolution reads them as published.
		moduleResolution: ts.ModuleResolutionKind.Bundler,
		types: [],
	};
	const host = ts.createCompilerHost(options);
	const getSourceFile = host.getSourceFile.bind(host);
	host.getSourceFile = (name, language, ...rest) => (name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest));
	const fileExists = host.fileExists.bind(host);
	host.fileExists = (name) => name === fileName || fileExists(name);
	const program = ts.createProgram([fileName], options, host);
	const file = program.getSourceFile(fileName);
	if (!file) throw new Error('the check file was not compiled');
	const errors = new Map<string, string[]>(checks.map((check) => [check.name, []]));
	for (const diagnostic of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
		const line = diagnostic.start === undefined ? 0 : file.getLineAndCharacterOfPosition(diagnostic.start).line;
		const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
		const check = checks[line - 1];
		if (!check) throw new Error(`published types check: ${message}`);
		errors.get(check.name)?.push(message);
	}
	return errors;
}
