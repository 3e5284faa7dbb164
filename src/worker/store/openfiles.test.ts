import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenFiles, readAt } from './openfiles';

/** Whether `fd` is still open on the file whose inode was `ino` (a closed number may be reused for another file). */
const isOpenOn = (fd: number, ino: number): boolean => {
  try {
    return fs.fstatSync(fd).ino === ino;
  } catch {
    return false;
  }
};
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
/** Closing happens on libuv's thread pool: poll for it, up to two seconds. */
async function closedSoon(fd: number, ino: number): Promise<boolean> {
  for (const deadline = Date.now() + 2000; Date.now() < deadline; await settle()) {
    if (!isOpenOn(fd, ino)) return true;
  }
  return false;
}

describe('OpenFiles', () => {
  let dir: string;
  let files: string[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-open-'));
    files = [0, 1, 2].map((i) => {
      const f = path.join(dir, `f${i}`);
      fs.writeFileSync(f, `file ${i}`);
      return f;
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const contents = (open: OpenFiles, file: string): Promise<{ fd: number; text: string }> =>
    open.use(file, async (fd) => {
      const buf = Buffer.alloc(6);
      await readAt(fd, buf, 6, 0);
      return { fd, text: buf.toString() };
    });

  it('reuses one descriptor per file and closes the least recently used beyond the limit', async () => {
    const open = new OpenFiles(2);
    const [ino0, ino1] = [fs.statSync(files[0]!).ino, fs.statSync(files[1]!).ino];
    const a = await contents(open, files[0]!);
    expect(a.text).toBe('file 0');
    expect((await contents(open, files[0]!)).fd).toBe(a.fd);
    const b = await contents(open, files[1]!);
    await contents(open, files[0]!);
    await contents(open, files[2]!);
    expect(open.size).toBe(2);
    expect(await closedSoon(b.fd, ino1)).toBe(true);
    expect(isOpenOn(a.fd, ino0)).toBe(true);
    await open.closeAll();
    expect(await closedSoon(a.fd, ino0)).toBe(true);
  });

  it('closes a removed file once the read using it is done, not under it', async () => {
    const open = new OpenFiles();
    const ino = fs.statSync(files[0]!).ino;
    let release!: () => void;
    const reading = open.use(files[0]!, async (fd) => {
      await new Promise<void>((r) => (release = r));
      const buf = Buffer.alloc(6);
      await readAt(fd, buf, 6, 0);
      return { fd, text: buf.toString() };
    });
    await settle();
    open.forget(files[0]!);
    fs.rmSync(files[0]!);
    release();
    const { fd, text } = await reading;
    expect(text).toBe('file 0');
    expect(await closedSoon(fd, ino)).toBe(true);
    await expect(contents(open, files[0]!)).rejects.toThrow(/ENOENT/);
    expect(open.size).toBe(0);
  });

  it('reports a file shorter than the read asked for', async () => {
    const open = new OpenFiles();
    await expect(open.use(files[0]!, (fd) => readAt(fd, Buffer.alloc(100), 100, 0))).rejects.toThrow(
      /unexpected end of file at byte 6/
    );
    await open.closeAll();
  });
});
