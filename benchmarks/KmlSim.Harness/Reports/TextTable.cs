using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KmlSim.Harness;

/// <summary>A table of text cells rendered either aligned for a terminal (Spectre.Console, wrapped to a width) or as a Markdown table.</summary>
/// <param name="Header">The column titles.</param>
internal sealed class TextTable(IReadOnlyList<string> Header)
{
    /// <summary>The width <see cref="RenderAligned"/> is given for output that is not a terminal: wide enough never to wrap.</summary>
    public const int Unlimited = 1000;

    private readonly List<string[]> rows = [];

    /// <summary>The rows so far.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;

    /// <summary>The width to render for <paramref name="output"/>: the terminal's when it is one, else <see cref="Unlimited"/>.</summary>
    public static int WidthFor(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Console.WindowWidth > 0 ? Console.WindowWidth : Unlimited;

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

    /// <summary>
    /// Plain text at most <paramref name="width"/> columns wide (cells wrap when the table would be wider);
    /// the first column left-aligned, the others right-aligned (numbers).
    /// </summary>
    public string RenderAligned(int width)
    {
        var table = new Table { Border = TableBorder.Simple };
        for (int c = 0; c < Header.Count; c++)
        {
            table.AddColumn(new TableColumn(Markup.Escape(Header[c])) { Alignment = c == 0 ? Justify.Left : Justify.Right });
        }

        foreach (string[] row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }

        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(table);
        return string.Join('\n', text.ToString().Split('\n').Select(line => line.TrimEnd()));
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
