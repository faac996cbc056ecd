// A small C interface over Xapian for quire-bench (bench/src/xapian.rs): build a
// database from articles, open it, search the top hits with Xapian's own snippets.
// Errors never cross into Rust as exceptions: every function catches them and returns
// a message the caller frees with xq_free.

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

char *dup(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) {
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
  }
  return p;
}

struct Writer {
  Xapian::WritableDatabase db;
  Xapian::TermGenerator gen;
  std::string path;
  std::string tmp;
};

struct Reader {
  Xapian::Database db;
  Xapian::Stem stem{"english"};
  Xapian::QueryParser parser;
};

template <typename F> char *guard(F f) {
  try {
    f();
    return nullptr;
  } catch (const Xapian::Error &e) {
    return dup(e.get_type() + std::string(": ") + e.get_msg());
  } catch (const std::exception &e) {
    return dup(e.what());
  } catch (...) {
    return dup("unknown C++ exception");
  }
}

} // namespace

extern "C" {

void xq_free(char *p) { std::free(p); }

// Starts a database to be compacted into the single file `path` by xq_writer_finish.
char *xq_writer_new(const char *path, void **out) {
  return guard([&] {
    auto *w = new Writer;
    w->path = path;
    w->tmp = std::string(path) + ".build";
    w->db = Xapian::WritableDatabase(w->tmp, Xapian::DB_CREATE_OR_OVERWRITE);
    w->gen.set_stemmer(Xapian::Stem("english"));
    w->gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    *out = w;
  });
}

// One article. Fields go into one term space, weighted through the within-document
// frequency increment (title 4, headings 3, tags 3, summary 2, body 2: Quire's
// 2 / 1.5 / 1.5 / 1.2 / 1 rounded to whole numbers), with a gap of positions between
// fields so that no phrase spans two. The document data is the id, a newline and the
// plain-text body, which the snippet is made from.
char *xq_writer_add(void *writer, const char *id, const char *title, const char *headings,
                    const char *summary, const char *body, const char *tags) {
  return guard([&] {
    auto *w = static_cast<Writer *>(writer);
    Xapian::Document doc;
    w->gen.set_document(doc);
    const char *texts[] = {title, headings, tags, summary, body};
    const unsigned weights[] = {4, 3, 3, 2, 2};
    for (int i = 0; i < 5; i++) {
      w->gen.index_text(texts[i], weights[i]);
      w->gen.increase_termpos(100);
    }
    doc.set_data(std::string(id) + "\n" + body);
    w->db.add_document(doc);
  });
}

// Commits, compacts into one file at the writer's path, removes the build directory
// and frees the writer.
char *xq_writer_finish(void *writer) {
  auto *w = static_cast<Writer *>(writer);
  char *err = guard([&] {
    w->db.commit();
    w->db.close();
    Xapian::Database src(w->tmp);
    std::remove(w->path.c_str());
    src.compact(w->path, Xapian::DBCOMPACT_SINGLE_FILE);
    src.close();
  });
  std::string cmd = "rm -rf '" + w->tmp + "'";
  (void)std::system(cmd.c_str());
  delete w;
  return err;
}

char *xq_open(const char *path, void **out) {
  return guard([&] {
    auto *r = new Reader;
    r->db = Xapian::Database(path);
    r->parser.set_database(r->db);
    r->parser.set_stemmer(r->stem);
    r->parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    r->parser.set_default_op(Xapian::Query::OP_AND);
    *out = r;
  });
}

void xq_close(void *reader) { delete static_cast<Reader *>(reader); }

// The top `limit` documents for `query` (plain words and "quoted phrases"; the last
// word a prefix when `partial`, expanded to its `expansions` most frequent completions),
// without counting every match. Writes, for each hit, the id, a tab and the snippet
// (matches between \x02 and \x03) followed by a newline, into *out.
char *xq_search(void *reader, const char *query, int partial, unsigned expansions,
                unsigned limit, char **out) {
  return guard([&] {
    auto *r = static_cast<Reader *>(reader);
    unsigned flags = Xapian::QueryParser::FLAG_PHRASE;
    if (partial) {
      flags |= Xapian::QueryParser::FLAG_PARTIAL;
      r->parser.set_max_expansion(expansions, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                                  Xapian::QueryParser::FLAG_PARTIAL);
    }
    Xapian::Query q = r->parser.parse_query(query, flags);
    Xapian::Enquire enquire(r->db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, limit);
    std::string result;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      std::string data = it.get_document().get_data();
      auto nl = data.find('\n');
      std::string id = data.substr(0, nl);
      std::string body = nl == std::string::npos ? std::string() : data.substr(nl + 1);
      result += id;
      result += '\t';
      // Flags 0: no background model (it looks up the frequency of every word of the
      // text in the database) and not exhaustive (stop at a good enough passage). The
      // default flags (both) made each snippet of a 4.6 KB article cost about 1 ms.
      std::string snip =
          mset.snippet(body, 200, r->stem, 0, "\x02", "\x03", "\xe2\x80\xa6");
      for (char &c : snip)
        if (c == '\n' || c == '\t')
          c = ' ';
      result += snip;
      result += '\n';
    }
    *out = dup(result);
  });
}

} // extern "C"
