using System.Text;

namespace KmlSim.Harness;

/// <summary>A table of text cells rendered either aligned for a terminal or as a Markdown table.</summary>
/// <param name="Header">The column titles.</param>
internal sealed class TextTable(IReadOnlyList<string> Header)
{
    private readonly List<string[]> rows = [];

    /// <summary>The rows so far.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;

    /// <summary>Adds a row; missing cells are empty.</summary>
    /// <exception cref="ArgumentException">The row has more cells than there are columns.</exception>
    public void Add(params string[] cells)
    {
        if (cells.Length > Header.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {Header.Count} columns", nameof(cells));
        }

        var row = new string[Header.Count];
        Array.Fill(row, "");
        cells.CopyTo(row, 0);
        rows.Add(row);
    }

    /// <summary>Columns padded to their widest cell; the first column left-aligned, the others right-aligned (numbers).</summary>
    public string RenderAligned()
    {
        int[] widths = Header.Select((title, column) => rows.Select(r => r[column].Length).Append(title.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (int c = 0; c < cells.Count; c++)
            {
                text.Append(c == 0 ? cells[c].PadRight(widths[c]) : "  " + cells[c].PadLeft(widths[c]));
            }

            text.Append('\n');
        }

        Line(Header);
        foreach (string[] row in rows)
        {
            Line(row);
        }

        return text.ToString();
    }

    /// <summary>A GitHub-flavoured Markdown table (pipes in cells escaped).</summary>
    public string RenderMarkdown()
    {
        var text = new StringBuilder();
        static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
        text.Append("| ").Append(string.Join(" | ", Header.Select(Cell))).Append(" |\n");
        text.Append('|').Append(string.Concat(Header.Select((_, c) => c == 0 ? "---|" : "---:|"))).Append('\n');
        foreach (string[] row in rows)
        {
            text.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        }

        return text.ToString();
    }
}
