import type postgres from 'postgres';

type Sql = postgres.Sql;
type Unsafe = Sql['unsafe'];

/**
 * The postgres.js client drizzle is given, with every query run as a named prepared statement.
 *
 * Why: drizzle asks postgres.js for unnamed statements (`prepare: false`), and postgres.js then
 * has to learn the parameter types of every parameterised query first — a Parse/Describe round
 * trip before the Bind/Execute one — and holds back the queries behind it until the answer
 * comes. Prepared, each statement text is described once per connection and then runs in one
 * round trip, and independent queries sent together (`Promise.all`) really share one. The
 * cost: PostgreSQL keeps the statements of each connection; connections recycle (postgres.js
 * `max_lifetime`). Behind a PgBouncer in transaction mode older than 1.21, set
 * `DATABASE_PREPARED_STATEMENTS=false`.
 *
 * @example
 * const db = drizzle({ client: preparedClient(postgres(url)) });
 */
export function preparedClient<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        const unsafe: Unsafe = (query, parameters, options) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
        return unsafe;
      }
      if (property === 'begin' || property === 'savepoint') {
        // Transactions and savepoints hand their callback a client of their own: wrap it too.
        return (...args: unknown[]) => {
          const callback = args.at(-1) as (client: Sql) => unknown;
          const begin = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
          return begin.call(target, ...args.slice(0, -1), (client: Sql) =>
            callback(preparedClient(client)),
          );
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
