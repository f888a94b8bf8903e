// GET /greet?name=Ada  ->  TypeScript runs natively (bundled with esbuild when loaded; types are not checked).
interface Event {
  query: Record<string, string | string[] | true>;
}

export async function handler(event: Event): Promise<{ status: number; body: { greeting: string } }> {
  const raw = event.query.name;
  const name = typeof raw === 'string' && raw ? raw : 'world';
  return { status: 200, body: { greeting: `Hi ${name}, from TypeScript` } };
}
