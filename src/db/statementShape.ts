/** Shapes remembered by SQL text: Prisma sends the same text for the same query, so a shape is computed once. */
const MAX_REMEMBERED = 2_000;
const remembered = new Map<string, string>();

/**
 * What a statement does, in a few words that stay the same whatever its values: the operation, the
 * table, and the columns it writes (UPDATE) or filters on (SELECT, DELETE), e.g.
 * `UPDATE Drawing SET leaseOwner,leaseUntil WHERE id,dueAt,leaseUntil`; a statement that begins with a
 * comment is named by it (a SELECT opened by the comment "admission" is `SELECT (admission)`). Bounded by the code's queries
 * (values and list lengths never show), so it can label a metric: /metrics counts statements by shape,
 * and the benchmark tells per panel what each statement is for (docs/decisions/029).
 */
export function statementShape(sql: string): string {
	const known = remembered.get(sql);
	if (known !== undefined) return known;
	const shape = computeShape(sql);
	if (remembered.size < MAX_REMEMBERED) remembered.set(sql, shape);
	return shape;
}

function computeShape(sql: string): string {
	// Quotes and schema names go: "public"."Drawing"."id" and `main`.`Drawing`.`id` are both Drawing.id.
	const text = sql
		.replace(/["`]/g, '')
		.replace(/\b(public|main)\./g, '')
		.replace(/\s+/g, ' ')
		.trim();
	// A statement written by hand that reads several tables at once names itself: `/* delivery */ SELECT …`.
	const named = /^\/\*\s*([\w ,-]+?)\s*\*\/\s*(\w+)/.exec(text);
	if (named) return `${(named[2] ?? '?').toUpperCase()} (${named[1]})`;
	const operation = (/^\w+/.exec(text)?.[0] ?? '?').toUpperCase();
	switch (operation) {
		case 'SELECT': {
			const table = /\bFROM (\w+)/i.exec(text)?.[1] ?? '?';
			const where = columnsOf(afterKeyword(text, 'WHERE'), table);
			const special = /\bcount\(/i.test(text) ? ' (count)' : /\bsum\(/i.test(text) ? ' (sum)' : /\bFOR UPDATE\b/i.test(text) ? ' (lock)' : '';
			return `SELECT ${table}${special}${where ? ` WHERE ${where}` : ''}`;
		}
		case 'UPDATE': {
			const table = /^UPDATE (\w+)/i.exec(text)?.[1] ?? '?';
			const set = afterKeyword(text, 'SET')?.split(/\bWHERE\b/i)[0] ?? '';
			const columns = unique([...set.matchAll(/(\w+) = /g)].map((match) => match[1] ?? ''));
			const where = columnsOf(afterKeyword(text, 'WHERE'), table);
			return `UPDATE ${table} SET ${columns.join(',')}${where ? ` WHERE ${where}` : ''}`;
		}
		case 'INSERT': {
			const table = /^INSERT (?:OR \w+ )?INTO (\w+)/i.exec(text)?.[1] ?? '?';
			return `INSERT ${table}${/\bON CONFLICT\b/i.test(text) ? ' (upsert)' : ''}`;
		}
		case 'DELETE': {
			const table = /^DELETE FROM (\w+)/i.exec(text)?.[1] ?? '?';
			const where = columnsOf(afterKeyword(text, 'WHERE'), table);
			return `DELETE ${table}${where ? ` WHERE ${where}` : ''}`;
		}
		default:
			return operation;
	}
}

function afterKeyword(text: string, keyword: string): string | undefined {
	const at = text.search(new RegExp(`\\b${keyword}\\b`, 'i'));
	return at < 0 ? undefined : text.slice(at + keyword.length);
}

/** The columns a WHERE clause compares (of `table` or unqualified), up to ORDER/LIMIT. */
function columnsOf(clause: string | undefined, table: string): string {
	if (!clause) return '';
	const body = clause.split(/\b(ORDER BY|LIMIT|OFFSET|GROUP BY|RETURNING)\b/i)[0] ?? '';
	const names = [...body.matchAll(/(?:(\w+)\.)?(\w+) (?:=|<>|!=|<=|>=|<|>|IN\b|IS\b|LIKE\b|NOT\b)/gi)]
		.filter((match) => !match[1] || match[1] === table || match[1].startsWith('t'))
		.map((match) => match[2] ?? '')
		.filter((name) => !/^(AND|OR|NOT|NULL)$/i.test(name));
	return unique(names).join(',');
}

function unique(values: readonly string[]): string[] {
	return [...new Set(values.filter(Boolean))];
}
