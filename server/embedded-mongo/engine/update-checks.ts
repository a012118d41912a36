import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, ownField, type Doc } from '../documents.ts';
import { bsonTypeName, isBsonNumber } from '../bson-types.ts';

const INDEX = /^\d+$/;

function brief(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function idOf(doc: Doc): string {
  return `{_id: ${brief(doc._id)}}`;
}

/**
 * Follows a path to the value it names, refusing what mongod refuses on the way: a field name
 * inside an array (`arr.field` on an array of documents) or below a scalar is PathNotViable
 * (code 28). Returns undefined past a missing field or a positional operator (nothing to check).
 */
function target(doc: Doc, path: string, creates: boolean): { value: unknown } | undefined {
  const parts = path.split('.');
  let current: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith('$')) return undefined;
    if (current === undefined) return undefined;
    if (Array.isArray(current)) {
      if (!INDEX.test(part)) {
        if (!creates) return undefined;
        throw new CommandError(ErrorCodes.PathNotViable, `Cannot create field '${part}' in element {${parts[i - 1]}: ${brief(current)}}`);
      }
      current = current[Number(part)];
    } else if (isPlainObject(current)) {
      current = ownField(current, part);
    } else {
      if (!creates) return undefined;
      throw new CommandError(ErrorCodes.PathNotViable, `Cannot create field '${part}' in element {${parts[i - 1]}: ${brief(current)}}`);
    }
  }
  return { value: current };
}

/**
 * Refuses, as mongod does, the operator updates that mingo would apply as a silent no-op:
 * arithmetic on non-numbers, array operators on non-arrays, paths that cannot be created.
 * Runs before either the fast or the general update path, so both refuse alike.
 */
export function checkUpdate(doc: Doc, modifier: Doc): void {
  for (const [op, fields] of Object.entries(modifier)) {
    if (!isPlainObject(fields)) continue;
    for (const [path, arg] of Object.entries(fields)) {
      const found = target(doc, path, op !== '$unset' && op !== '$pull' && op !== '$pullAll' && op !== '$pop');
      if (!found || found.value === undefined) {
        if ((op === '$inc' || op === '$mul') && !isBsonNumber(arg)) {
          throw new CommandError(
            ErrorCodes.TypeMismatch,
            `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${brief(arg)}}`,
          );
        }
        continue;
      }
      const value = found.value;
      const type = bsonTypeName(value);
      switch (op) {
        case '$inc':
        case '$mul':
          if (!isBsonNumber(arg))
            throw new CommandError(
              ErrorCodes.TypeMismatch,
              `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${brief(arg)}}`,
            );
          if (!isBsonNumber(value)) {
            throw new CommandError(
              ErrorCodes.TypeMismatch,
              `Cannot apply ${op} to a value of non-numeric type. ${idOf(doc)} has the field '${path}' of non-numeric type ${type}`,
            );
          }
          break;
        case '$push':
        case '$addToSet':
          if (!Array.isArray(value))
            throw new CommandError(ErrorCodes.BadValue, `The field '${path}' must be an array but is of type ${type} in document ${idOf(doc)}`);
          break;
        case '$pull':
        case '$pullAll':
          if (!Array.isArray(value)) throw new CommandError(ErrorCodes.BadValue, `Cannot apply ${op} to a non-array value`);
          break;
        case '$pop':
          if (!Array.isArray(value)) throw new CommandError(ErrorCodes.TypeMismatch, `Path '${path}' contains an element of non-array type '${type}'`);
          break;
        default:
          break;
      }
    }
  }
}
