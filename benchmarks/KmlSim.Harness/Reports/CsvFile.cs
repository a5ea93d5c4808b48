using System.Text;

namespace KmlSim.Harness;

/// <summary>
/// RFC 4180 CSV: a field with a comma, quote or line break is quoted (quotes doubled); lines end in \n.
/// Reading accepts what writing produces (and \r\n), so shards written by <c>kmlsim sweep</c> merge exactly.
/// </summary>
internal static class CsvFile
{
    /// <summary>One line of CSV (with its newline).</summary>
    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote)) + "\n";

    /// <summary>Writes a header and rows to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder(Line(header));
        foreach (IReadOnlyList<string> row in rows)
        {
            text.Append(Line(row));
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The records of a CSV text (the first is the header); a final newline ends the last record.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or a quote appears inside an unquoted field.</exception>
    public static IReadOnlyList<IReadOnlyList<string>> Parse(string text)
    {
        var records = new List<IReadOnlyList<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldStarted:
                    quoted = fieldStarted = true;
                    break;
                case '"':
                    throw new FormatException($"a quote inside an unquoted field (record {records.Count + 1})");
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    records.Add(record);
                    record = [];
                    field.Clear();
                    fieldStarted = false;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException("a quoted field is not closed at the end of the file");
        }

        if (field.Length > 0 || fieldStarted || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
