using KmlSim.Harness;

namespace KmlSim.Tests.Harness;

/// <summary>CSV quoting round trips; merge joins shards by point and refuses what cannot be one sweep.</summary>
public class CsvAndMergeTests
{
    private const string Header = "point,parameter,value,workload,mode,seed,cycles_total\n";

    [Test]
    public void FieldsWithCommasQuotesAndNewlinesRoundTrip()
    {
        string[] fields = ["plain", "with,comma", "with \"quotes\"", "two\nlines", "", "end"];
        IReadOnlyList<IReadOnlyList<string>> parsed = CsvFile.Parse(CsvFile.Line(fields) + CsvFile.Line(["a", "b"]));
        Assert.Multiple(() =>
        {
            Assert.That(CsvFile.Line(fields), Is.EqualTo("plain,\"with,comma\",\"with \"\"quotes\"\"\",\"two\nlines\",,end\n"));
            Assert.That(parsed, Has.Count.EqualTo(2));
            Assert.That(parsed[0], Is.EqualTo(fields));
            Assert.That(parsed[1], Is.EqualTo(new[] { "a", "b" }));
        });
    }

    [TestCase("a,\"open\n", TestName = "an unclosed quote")]
    [TestCase("a,b\"c\n", TestName = "a quote inside a field")]
    public void MalformedCsvIsAFormatError(string text)
    {
        Assert.That(() => CsvFile.Parse(text), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void ShardsMergeInPointOrder()
    {
        string first = Header + "0,mode,stock,getppid,stock,1,100\n2,mode,emulation,getppid,emulation,1,50\n";
        string second = Header + "1,mode,kml,getppid,kml,1,90\n";
        var (header, rows) = MergeCommand.Merge([("1.csv", first), ("2.csv", second)]);
        Assert.Multiple(() =>
        {
            Assert.That(header, Is.EqualTo(Header.TrimEnd().Split(',')));
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "0", "1", "2" }));
            Assert.That(rows[1][6], Is.EqualTo("90"));
        });
    }

    [TestCase("0,mode,stock,getppid,stock,1,100\n", "already in another row", TestName = "a repeated point")]
    [TestCase("1,mode,kml,getppid,kml,1\n", "a row has 6 fields", TestName = "a short row")]
    [TestCase("x,mode,kml,getppid,kml,1,1\n", "point 'x' is not a number", TestName = "a non-numeric point")]
    public void MergeRefusesBadRows(string secondRows, string message)
    {
        string first = Header + "0,mode,stock,getppid,stock,1,100\n";
        Assert.That(() => MergeCommand.Merge([("1.csv", first), ("2.csv", Header + secondRows)]),
            Throws.TypeOf<FormatException>().With.Message.Contain(message));
    }

    [Test]
    public void MergeRefusesADifferentHeaderAndAnEmptyFile()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => MergeCommand.Merge([("1.csv", Header), ("2.csv", "point,mode,seed\n")]),
                Throws.TypeOf<FormatException>().With.Message.Contain("2.csv has a different header"));
            Assert.That(() => MergeCommand.Merge([("1.csv", "")]), Throws.TypeOf<FormatException>().With.Message.Contain("empty"));
            Assert.That(() => MergeCommand.Merge([("1.csv", "a,b\n")]), Throws.TypeOf<FormatException>().With.Message.Contain("no 'point' column"));
        });
    }
}
