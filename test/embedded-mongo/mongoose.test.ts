import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
let conn: Connection;

const userSchema = new Schema({ email: { type: String, required: true, unique: true }, name: String });
const postSchema = new Schema({ title: String, author: { type: Schema.Types.ObjectId, ref: 'User' }, tags: [String] });

before(async () => {
  server = await startTestServer('mongoose');
  conn = await mongoose.createConnection(server.uri, { dbName: server.dbName }).asPromise();
  conn.model('User', userSchema);
  conn.model('Post', postSchema);
  await conn.model('User').init();
});

after(async () => {
  await conn.dropDatabase();
  await conn.close();
  await server.close();
});

describe('Mongoose against the embedded server', () => {
  it('maps a duplicate key on save to an E11000 error with keyValue', async () => {
    const User = conn.model('User');
    await User.create({ email: 'a@example.com', name: 'A' });
    await assert.rejects(User.create({ email: 'a@example.com', name: 'B' }), (err: { code: number; keyValue: unknown; keyPattern: unknown }) => {
      assert.equal(err.code, 11000);
      assert.deepEqual(err.keyValue, { email: 'a@example.com' });
      assert.deepEqual(err.keyPattern, { email: 1 });
      return true;
    });
  });

  it('reports duplicates from insertMany, ordered and unordered', async () => {
    const User = conn.model('User');
    await assert.rejects(
      User.insertMany([{ email: 'o1@x' }, { email: 'o1@x' }, { email: 'o2@x' }]),
      (err: { code: number; writeErrors?: { err: { keyValue?: unknown } }[] }) => {
        assert.equal(err.code, 11000);
        return true;
      },
    );
    assert.equal(await User.countDocuments({ email: /^o\d@x$/ }), 1);
    await assert.rejects(
      User.insertMany([{ email: 'u1@x' }, { email: 'u1@x' }, { email: 'u2@x' }], { ordered: false }),
      (err: { code: number; insertedDocs: unknown[] }) => {
        assert.equal(err.code, 11000);
        assert.equal(err.insertedDocs.length, 2);
        return true;
      },
    );
    assert.equal(await User.countDocuments({ email: /^u\d@x$/ }), 2);
  });

  it('populates references', async () => {
    const User = conn.model('User');
    const Post = conn.model('Post');
    const author = await User.create({ email: 'writer@x', name: 'Writer' });
    await Post.create({ title: 'Hello', author: author._id, tags: ['a'] });
    const post = await Post.findOne({ title: 'Hello' }).populate('author').lean<{ author: { name: string } }>();
    assert.equal(post?.author.name, 'Writer');
  });

  it('upserts with findOneAndUpdate and returns the new document', async () => {
    const Post = conn.model('Post');
    const doc = await Post.findOneAndUpdate({ title: 'Upserted' }, { $setOnInsert: { tags: ['new'] } }, { upsert: true, new: true }).lean<{
      title: string;
      tags: string[];
    }>();
    assert.equal(doc?.title, 'Upserted');
    assert.deepEqual(doc?.tags, ['new']);
  });

  it('syncs indexes: creates declared ones and drops undeclared ones', async () => {
    const schema = new Schema({ code: String, level: Number });
    schema.index({ code: 1 }, { unique: true });
    const Thing = conn.model('Thing', schema);
    await Thing.createCollection();
    await Thing.collection.createIndex({ level: 1 });
    const dropped = await Thing.syncIndexes();
    assert.deepEqual(dropped, ['level_1']);
    const names = (await Thing.listIndexes()).map((i: { name: string }) => i.name).sort();
    assert.deepEqual(names, ['_id_', 'code_1']);
  });

  it('runs updateMany and deleteMany through models', async () => {
    const Post = conn.model('Post');
    await Post.insertMany([
      { title: 'x1', tags: [] },
      { title: 'x2', tags: [] },
    ]);
    const updated = await Post.updateMany({ title: /^x/ }, { $addToSet: { tags: 'bulk' } });
    assert.equal(updated.modifiedCount, 2);
    const deleted = await Post.deleteMany({ tags: 'bulk' });
    assert.equal(deleted.deletedCount, 2);
  });
});
