// GET /blog/a/b/c  ->  a catch-all param holds every remaining segment joined with "/".
export default async function (event, { slug }) {
  return { slug, parts: slug.split('/') };
}
