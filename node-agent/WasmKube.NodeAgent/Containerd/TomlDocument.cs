using System.Globalization;
using System.Text;

namespace WasmKube.NodeAgent.Containerd;

/// <summary>How a table path came to exist in a document (TOML 1.0 §Table, §Inline Table, §Array of Tables).</summary>
public enum TomlTableOrigin
{
    /// <summary>The path names no table.</summary>
    None,

    /// <summary>Only as the prefix of a longer header or dotted key.</summary>
    Implicit,

    /// <summary>By a <c>[path]</c> header.</summary>
    Header,

    /// <summary>By dotted keys inside another table (<c>a.b = 1</c> defines table <c>a</c>).</summary>
    DottedKeys,

    /// <summary>As an inline table value (<c>a = { ... }</c>); such a table cannot be extended.</summary>
    Inline,

    /// <summary>By <c>[[path]]</c> headers.</summary>
    ArrayOfTables,
}

/// <summary>A <c>[table]</c> or <c>[[array]]</c> header, with its 1-based line and the character offset of the line start.</summary>
public sealed record TomlHeader(IReadOnlyList<string> Path, bool IsArray, int Line, int Offset);

/// <summary>A key/value pair with its full path from the document root and its 1-based line.</summary>
public sealed record TomlEntry(IReadOnlyList<string> Path, TomlValue Value, int Line);

/// <summary>
/// A read-only view of a TOML 1.0 document: every header and key/value with its location, so an editor can append
/// or replace text while leaving every other byte as the user wrote it. The reader accepts the whole syntax that
/// configuration files use (all string forms, arrays over several lines, inline tables, dotted and quoted keys) and
/// rejects anything else with a <see cref="TomlException"/> rather than guessing.
/// </summary>
public sealed class TomlDocument
{
    private readonly Dictionary<string, TomlTableOrigin> _tables;
    private readonly Dictionary<string, TomlEntry> _entries;

    private TomlDocument(string text, List<TomlHeader> headers, List<TomlEntry> entries, Dictionary<string, TomlTableOrigin> tables)
    {
        Text = text;
        Headers = headers;
        Entries = entries;
        _tables = tables;
        _entries = entries.ToDictionary(e => Join(e.Path), StringComparer.Ordinal);
    }

    public string Text { get; }

    public IReadOnlyList<TomlHeader> Headers { get; }

    public IReadOnlyList<TomlEntry> Entries { get; }

    /// <summary>Parses <paramref name="text"/>. With <paramref name="templateLines"/>, whole lines of Go template
    /// actions (<c>{{ ... }}</c>, as in k3s and rke2 config templates) are passed over like comments.</summary>
    public static TomlDocument Parse(string text, bool templateLines = false) => new Parser(text, templateLines).Run();

    /// <summary>The value at a full key path, or null.</summary>
    public TomlValue? Get(params string[] path) => _entries.TryGetValue(Join(path), out var entry) ? entry.Value : null;

    public TomlTableOrigin OriginOf(IReadOnlyList<string> path) =>
        _tables.TryGetValue(Join(path), out var origin) ? origin : TomlTableOrigin.None;

    /// <summary>A key path in TOML syntax, quoting the parts that are not bare keys.</summary>
    public static string FormatPath(IEnumerable<string> path) => string.Join(".", path.Select(FormatKey));

    public static string FormatKey(string key) =>
        key.Length > 0 && key.All(IsBareKeyChar) ? key : Quote(key);

    /// <summary>A TOML basic string literal.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static bool IsBareKeyChar(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    // Key parts may contain dots when quoted, so joined paths use a separator no key contains in practice.
    private static string Join(IEnumerable<string> path) => string.Join("\u0001", path);

    private sealed class Parser(string text, bool templateLines)
    {
        private readonly List<TomlHeader> _headers = [];
        private readonly List<TomlEntry> _entries = [];
        private readonly Dictionary<string, TomlTableOrigin> _tables = new(StringComparer.Ordinal);
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _arrayCounts = new(StringComparer.Ordinal);
        private int _pos;
        private int _line = 1;
        private int _lineStart;
        private List<string> _table = [];

        public TomlDocument Run()
        {
            while (_pos < text.Length)
            {
                SkipSpaces();
                if (AtLineEnd())
                {
                    ConsumeLineEnd();
                    continue;
                }

                if (templateLines && Peek() == '{' && PeekAt(1) == '{')
                {
                    while (_pos < text.Length && text[_pos] != '\n') _pos++;
                    ConsumeLineEnd();
                    continue;
                }

                if (Peek() == '[') ReadHeader();
                else ReadKeyValue();
                SkipSpaces();
                if (!AtLineEnd()) throw Error("expected the end of the line");
                ConsumeLineEnd();
            }

            return new TomlDocument(text, _headers, _entries, _tables);
        }

        private void ReadHeader()
        {
            var lineOffset = _lineStart;
            var line = _line;
            _pos++;
            var isArray = Peek() == '[';
            if (isArray) _pos++;
            SkipSpaces();
            var path = ReadKey();
            SkipSpaces();
            Expect(']');
            if (isArray) Expect(']');

            var key = Join(path);
            for (var i = 1; i < path.Count; i++) MarkImplicit(path.Take(i));
            if (isArray)
            {
                if (_tables.TryGetValue(key, out var existing) && existing != TomlTableOrigin.ArrayOfTables)
                    throw Error($"[[{FormatPath(path)}]] redefines a table");
                _tables[key] = TomlTableOrigin.ArrayOfTables;
                var index = _arrayCounts.TryGetValue(key, out var n) ? n : 0;
                _arrayCounts[key] = index + 1;
                _table = [.. path, $"[{index}]"];
            }
            else
            {
                if (_tables.TryGetValue(key, out var existing) && existing != TomlTableOrigin.Implicit)
                    throw Error($"table [{FormatPath(path)}] is defined more than once");
                if (_keys.Contains(key)) throw Error($"[{FormatPath(path)}] redefines a key");
                _tables[key] = TomlTableOrigin.Header;
                _table = [.. path];
            }

            _headers.Add(new TomlHeader(path, isArray, line, lineOffset));
        }

        private void ReadKeyValue()
        {
            var line = _line;
            var keyPath = ReadKey();
            SkipSpaces();
            Expect('=');
            SkipSpaces();
            var value = ReadValue();
            var full = _table.Concat(keyPath).ToList();
            for (var i = _table.Count + 1; i < full.Count; i++)
            {
                var prefix = Join(full.Take(i));
                if (_tables.TryGetValue(prefix, out var origin) && origin is TomlTableOrigin.Header or TomlTableOrigin.Inline or TomlTableOrigin.ArrayOfTables)
                    throw Error($"dotted key {FormatPath(keyPath)} extends a table defined elsewhere");
                if (_keys.Contains(prefix)) throw Error($"dotted key {FormatPath(keyPath)} extends a value");
                _tables[prefix] = TomlTableOrigin.DottedKeys;
            }

            Define(full, value, line);
        }

        private void Define(List<string> full, TomlValue value, int line)
        {
            var key = Join(full);
            if (!_keys.Add(key) || _tables.ContainsKey(key)) throw Error($"duplicate key {FormatPath(full)}");
            _entries.Add(new TomlEntry(full, value, line));
            if (value is TomlInlineTable inline)
            {
                _tables[key] = TomlTableOrigin.Inline;
                DefineInline(full, inline, line);
            }
        }

        private void DefineInline(List<string> prefix, TomlInlineTable table, int line)
        {
            foreach (var (name, value) in table.Entries)
            {
                List<string> full = [.. prefix, name];
                _keys.Add(Join(full));
                _entries.Add(new TomlEntry(full, value, line));
                if (value is TomlInlineTable nested)
                {
                    _tables[Join(full)] = TomlTableOrigin.Inline;
                    DefineInline(full, nested, line);
                }
            }
        }

        private void MarkImplicit(IEnumerable<string> path)
        {
            var key = Join(path);
            if (_tables.TryGetValue(key, out var origin))
            {
                if (origin is TomlTableOrigin.Inline) throw Error($"table {FormatPath(path)} is an inline table and cannot be extended");
                return;
            }

            if (_keys.Contains(key)) throw Error($"{FormatPath(path)} is a value, not a table");
            _tables[key] = TomlTableOrigin.Implicit;
        }

        private List<string> ReadKey()
        {
            var parts = new List<string> { ReadSimpleKey() };
            while (true)
            {
                var save = _pos;
                SkipSpaces();
                if (Peek() != '.')
                {
                    _pos = save;
                    return parts;
                }

                _pos++;
                SkipSpaces();
                parts.Add(ReadSimpleKey());
            }
        }

        private string ReadSimpleKey()
        {
            switch (Peek())
            {
                case '"':
                    if (PeekAt(1) == '"' && PeekAt(2) == '"') throw Error("a key cannot be a multi-line string");
                    return ReadBasicString();
                case '\'':
                    if (PeekAt(1) == '\'' && PeekAt(2) == '\'') throw Error("a key cannot be a multi-line string");
                    return ReadLiteralString();
            }

            var start = _pos;
            while (_pos < text.Length && IsBareKeyChar(text[_pos])) _pos++;
            if (_pos == start) throw Error("expected a key");
            return text[start.._pos];
        }

        private TomlValue ReadValue()
        {
            switch (Peek())
            {
                case '"':
                    return new TomlString(PeekAt(1) == '"' && PeekAt(2) == '"' ? ReadMultilineBasicString() : ReadBasicString());
                case '\'':
                    return new TomlString(PeekAt(1) == '\'' && PeekAt(2) == '\'' ? ReadMultilineLiteralString() : ReadLiteralString());
                case '[':
                    return ReadArray();
                case '{' when templateLines && PeekAt(1) == '{':
                    return ReadTemplateExpression();
                case '{':
                    return ReadInlineTable();
            }

            var start = _pos;
            while (_pos < text.Length && text[_pos] is not (' ' or '\t' or ',' or ']' or '}' or '#' or '\r' or '\n')) _pos++;
            var word = text[start.._pos];
            if (word.Length == 0) throw Error("expected a value");
            if (word == "true") return new TomlBoolean(true);
            if (word == "false") return new TomlBoolean(false);
            if (TryParseInteger(word, out var integer)) return new TomlInteger(integer);
            if (word.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.' or ':' or '_')) return new TomlOtherScalar(word);
            throw Error($"'{word}' is not a TOML value");
        }

        private static bool TryParseInteger(string word, out long value)
        {
            var digits = word.Replace("_", "", StringComparison.Ordinal);
            if (digits.StartsWith("0x", StringComparison.Ordinal))
                return long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
            if (digits.StartsWith("0o", StringComparison.Ordinal) || digits.StartsWith("0b", StringComparison.Ordinal))
            {
                value = 0;
                try
                {
                    value = Convert.ToInt64(digits[2..], digits[1] == 'o' ? 8 : 2);
                    return true;
                }
                catch (FormatException)
                {
                    return false;
                }
            }

            return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        // k3s templates put expressions where values go: SystemdCgroup = {{ .SystemdCgroup }}
        private TomlOtherScalar ReadTemplateExpression()
        {
            var end = text.IndexOf("}}", _pos, StringComparison.Ordinal);
            var lineEnd = text.IndexOf('\n', _pos);
            if (end < 0 || (lineEnd >= 0 && end > lineEnd)) throw Error("unterminated template expression");
            var start = _pos;
            _pos = end + 2;
            return new TomlOtherScalar(text[start.._pos]);
        }

        private TomlArray ReadArray()
        {
            Expect('[');
            var items = new List<TomlValue>();
            while (true)
            {
                SkipSpacesCommentsAndNewlines();
                if (Peek() == ']')
                {
                    _pos++;
                    return new TomlArray(items);
                }

                items.Add(ReadValue());
                SkipSpacesCommentsAndNewlines();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }

                Expect(']');
                return new TomlArray(items);
            }
        }

        private TomlInlineTable ReadInlineTable()
        {
            Expect('{');
            var entries = new Dictionary<string, TomlValue>(StringComparer.Ordinal);
            SkipSpaces();
            if (Peek() == '}')
            {
                _pos++;
                return new TomlInlineTable(entries);
            }

            while (true)
            {
                SkipSpaces();
                var key = ReadKey();
                SkipSpaces();
                Expect('=');
                SkipSpaces();
                var value = ReadValue();
                // Dotted keys inside inline tables are rare in configs; nesting them keeps lookups exact.
                InsertInline(entries, key, value);
                SkipSpaces();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }

                Expect('}');
                return new TomlInlineTable(entries);
            }
        }

        private void InsertInline(Dictionary<string, TomlValue> entries, List<string> key, TomlValue value)
        {
            if (key.Count == 1)
            {
                if (!entries.TryAdd(key[0], value)) throw Error($"duplicate key {key[0]} in inline table");
                return;
            }

            var nested = entries.TryGetValue(key[0], out var existing)
                ? existing as TomlInlineTable ?? throw Error($"{key[0]} is a value, not a table")
                : new TomlInlineTable(new Dictionary<string, TomlValue>(StringComparer.Ordinal));
            InsertInline((Dictionary<string, TomlValue>)nested.Entries, key.Skip(1).ToList(), value);
            entries[key[0]] = nested;
        }

        private string ReadBasicString()
        {
            Expect('"');
            var builder = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length || text[_pos] is '\n' or '\r') throw Error("unterminated string");
                var c = text[_pos++];
                if (c == '"') return builder.ToString();
                if (c == '\\') ReadEscape(builder);
                else builder.Append(c);
            }
        }

        private string ReadMultilineBasicString()
        {
            _pos += 3;
            SkipOneNewline();
            var builder = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length) throw Error("unterminated multi-line string");
                if (text[_pos] == '"' && PeekAt(1) == '"' && PeekAt(2) == '"')
                {
                    _pos += 3;
                    // Up to two quotes may end the content right before the delimiter.
                    for (var extra = 0; extra < 2 && Peek() == '"'; extra++)
                    {
                        builder.Append('"');
                        _pos++;
                    }

                    return builder.ToString();
                }

                var c = text[_pos++];
                if (c == '\n') NewLine();
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                // A line-ending backslash trims the newline and the white space after it.
                var save = _pos;
                while (_pos < text.Length && text[_pos] is ' ' or '\t') _pos++;
                if (_pos < text.Length && text[_pos] is '\n' or '\r')
                {
                    while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r')
                    {
                        if (text[_pos] == '\n') NewLine(_pos + 1);
                        _pos++;
                    }

                    continue;
                }

                _pos = save;
                ReadEscape(builder);
            }
        }

        private string ReadLiteralString()
        {
            Expect('\'');
            var start = _pos;
            while (_pos < text.Length && text[_pos] != '\'')
            {
                if (text[_pos] is '\n' or '\r') throw Error("unterminated string");
                _pos++;
            }

            if (_pos >= text.Length) throw Error("unterminated string");
            return text[start.._pos++];
        }

        private string ReadMultilineLiteralString()
        {
            _pos += 3;
            SkipOneNewline();
            var start = _pos;
            var end = text.IndexOf("'''", _pos, StringComparison.Ordinal);
            if (end < 0) throw Error("unterminated multi-line string");
            for (var extra = 0; extra < 2 && end + 3 < text.Length && text[end + 3] == '\''; extra++) end++;
            for (var i = _pos; i < end; i++)
            {
                if (text[i] == '\n') NewLine(i + 1);
            }

            _pos = end + 3;
            return text[start..end];
        }

        private void ReadEscape(StringBuilder builder)
        {
            if (_pos >= text.Length) throw Error("unterminated string");
            var c = text[_pos++];
            switch (c)
            {
                case 'b': builder.Append('\b'); break;
                case 't': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'f': builder.Append('\f'); break;
                case 'r': builder.Append('\r'); break;
                case 'e': builder.Append('\u001b'); break;
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case 'u': builder.Append(ReadCodePoint(4)); break;
                case 'U': builder.Append(ReadCodePoint(8)); break;
                default: throw Error($"unknown escape \\{c}");
            }
        }

        private string ReadCodePoint(int digits)
        {
            if (_pos + digits > text.Length ||
                !int.TryParse(text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) ||
                code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                throw Error("invalid unicode escape");
            _pos += digits;
            return char.ConvertFromUtf32(code);
        }

        private void SkipOneNewline()
        {
            if (Peek() == '\r' && PeekAt(1) == '\n') _pos++;
            if (Peek() == '\n')
            {
                _pos++;
                NewLine();
            }
        }

        private void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t') _pos++;
        }

        private void SkipSpacesCommentsAndNewlines()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c is ' ' or '\t' or '\r') _pos++;
                else if (c == '\n')
                {
                    _pos++;
                    NewLine();
                }
                else if (c == '#')
                {
                    while (_pos < text.Length && text[_pos] != '\n') _pos++;
                }
                else return;
            }
        }

        private bool AtLineEnd() => _pos >= text.Length || text[_pos] is '\n' or '#' || (text[_pos] == '\r' && PeekAt(1) == '\n');

        private void ConsumeLineEnd()
        {
            if (Peek() == '#')
            {
                while (_pos < text.Length && text[_pos] != '\n') _pos++;
            }

            if (Peek() == '\r') _pos++;
            if (Peek() == '\n')
            {
                _pos++;
                NewLine();
            }
        }

        private void NewLine(int? lineStart = null)
        {
            _line++;
            _lineStart = lineStart ?? _pos;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private char PeekAt(int ahead) => _pos + ahead < text.Length ? text[_pos + ahead] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private TomlException Error(string reason) => new(reason, _line, _pos - _lineStart + 1);
    }
}
