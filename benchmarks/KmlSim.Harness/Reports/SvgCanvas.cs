using System.Globalization;
using System.Xml.Linq;

namespace KmlSim.Harness;

/// <summary>
/// A minimal SVG writer (no plotting package is available): rectangles, lines and text on a canvas that
/// grows downward, built as an <see cref="XDocument"/> so the output is always well-formed XML.
/// </summary>
internal sealed class SvgCanvas
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly List<XElement> shapes = [];

    /// <summary>The canvas width in pixels.</summary>
    public double Width { get; init; } = 800;

    /// <summary>The lowest y used so far (the document's height when saved).</summary>
    public double Bottom { get; private set; }

    /// <summary>A filled rectangle (negative width or height are normalised).</summary>
    public void Rectangle(double x, double y, double width, double height, string fill, string? tooltip = null)
    {
        var rect = new XElement(Svg + "rect",
            new XAttribute("x", Number(Math.Min(x, x + width))), new XAttribute("y", Number(Math.Min(y, y + height))),
            new XAttribute("width", Number(Math.Abs(width))), new XAttribute("height", Number(Math.Abs(height))), new XAttribute("fill", fill));
        if (tooltip is not null)
        {
            rect.Add(new XElement(Svg + "title", tooltip));
        }

        Add(rect, Math.Max(y, y + height));
    }

    /// <summary>A one-pixel line.</summary>
    public void Line(double x1, double y1, double x2, double y2, string stroke = "#444")
    {
        Add(new XElement(Svg + "line", new XAttribute("x1", Number(x1)), new XAttribute("y1", Number(y1)), new XAttribute("x2", Number(x2)),
            new XAttribute("y2", Number(y2)), new XAttribute("stroke", stroke)), Math.Max(y1, y2));
    }

    /// <summary>Text with its baseline at y; <paramref name="anchor"/> is start, middle or end.</summary>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, bool bold = false)
    {
        Add(new XElement(Svg + "text", new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), new XAttribute("text-anchor", anchor),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", Number(size)), bold ? new XAttribute("font-weight", "bold") : null, text),
            y + (size / 3));
    }

    /// <summary>The document, sized to what was drawn.</summary>
    public XDocument ToDocument() => new(new XElement(Svg + "svg",
        new XAttribute("width", Number(Width)), new XAttribute("height", Number(Bottom + 10)),
        new XAttribute("viewBox", $"0 0 {Number(Width)} {Number(Bottom + 10)}"),
        new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
        shapes));

    private void Add(XElement shape, double lowest)
    {
        shapes.Add(shape);
        Bottom = Math.Max(Bottom, lowest);
    }

    private static string Number(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
