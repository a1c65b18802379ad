/**
 * The layer rules of docs/decisions/008-job-runner-and-layers.md, checked by `npm run lint`.
 * Data flows one way: commands → domain → outside clients and the database; the job runner → a step
 * of the domain → delivery.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			severity: 'error',
			comment: 'Import cycles hide which layer depends on which.',
			from: {},
			to: { circular: true, dependencyTypesNot: ['type-only'] },
		},
		{
			name: 'domain-is-free-of-discord',
			severity: 'error',
			comment: 'src/comic/ is the domain: no discord.js, no Discord layer, no commands, no HTTP server.',
			from: { path: '^src/comic/' },
			to: { path: ['^node_modules/discord\\.js', '^node_modules/@discordjs/', '^src/discord/', '^commands/', '^src/http/', '^src/app\\.ts'] },
		},
		{
			name: 'domain-only-speaks-to-the-runner-in-types',
			severity: 'error',
			comment: 'Steps return outcomes the runner stores; the domain knows their types, never the runner itself.',
			from: { path: '^src/comic/' },
			to: { path: '^src/jobs/', dependencyTypesNot: ['type-only'] },
		},
		{
			name: 'accounts-are-free-of-discord',
			severity: 'error',
			comment: "src/accounts/ (users' keys, server settings, usage) is domain: no discord.js, no Discord layer, no commands, no job runner.",
			from: { path: '^src/accounts/' },
			to: {
				path: ['^node_modules/discord\\.js', '^node_modules/@discordjs/', '^src/discord/', '^commands/', '^src/jobs/', '^src/http/', '^src/app\\.ts'],
			},
		},
		{
			name: 'generated-prisma-only-in-db',
			severity: 'error',
			comment: 'Only src/db/ imports the generated Prisma clients; the rest uses src/db/database.ts.',
			from: { pathNot: '^src/db/' },
			to: { path: '^src/db/generated/' },
		},
		{
			name: 'clients-know-no-comics',
			severity: 'error',
			comment: 'Clients of the outside world know nothing of comics, jobs, commands or Discord handling.',
			from: { path: '^src/(civitai|llm|net)/' },
			to: { path: ['^src/comic/', '^src/accounts/', '^src/jobs/', '^src/discord/', '^commands/', '^src/http/'] },
		},
		{
			name: 'jobs-know-no-domain',
			severity: 'error',
			comment: 'The job runner runs steps of any kind; it knows neither the domain, nor Discord, nor commands.',
			from: { path: '^src/jobs/' },
			to: { path: ['^node_modules/discord\\.js', '^src/discord/', '^commands/', '^src/comic/', '^src/db/'] },
		},
		{
			name: 'images-are-pure',
			severity: 'error',
			comment:
				'src/images/ is the picture engine: buffers and plain data in, buffers and streams out; it knows no Discord, commands, domain, jobs or database.',
			from: { path: '^src/images/' },
			to: {
				// (^|/): in a git worktree node_modules is a link and resolves to ../main/node_modules/.
				path: [
					'(^|/)node_modules/discord\\.js/',
					'(^|/)node_modules/@discordjs/',
					'^src/discord/',
					'^commands/',
					'^src/comic/',
					'^src/jobs/',
					'^src/db/',
					'^src/http/',
					'^src/app\\.ts',
				],
			},
		},
		{
			name: 'discord-layer-does-not-import-commands',
			severity: 'error',
			comment: 'src/discord/ renders and delivers; commands route to it, never the other way.',
			from: { path: '^src/discord/' },
			to: { path: '^commands/' },
		},
		{
			name: 'definitions-are-data',
			severity: 'error',
			comment: 'Command definitions are plain data: deploy-commands bundles them alone.',
			from: { path: '^commands/definitions/' },
			to: { path: ['^src/', '^commands/(?!definitions/)'], pathNot: ['^src/comic/limits\\.ts$', '^src/accounts/limits\\.ts$'] },
		},
	],
	options: {
		doNotFollow: { path: ['node_modules', '^src/db/generated/'] },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default'],
			extensions: ['.ts', '.js', '.mjs', '.cjs'],
		},
		reporterOptions: { text: { highlightFocused: true } },
	},
};
