using Iced.Intel;

namespace KmlSim.Tests.Execution;

/// <summary>The interpreter evaluates conditions by Iced's ConditionCode numbers; pin that numbering.</summary>
public class ConditionCodeTests
{
    [Test]
    public void IcedConditionCodeNumberingIsTheOneTheInterpreterAssumes()
    {
        Assert.Multiple(() =>
        {
            Assert.That((int)ConditionCode.o, Is.EqualTo(1));
            Assert.That((int)ConditionCode.b, Is.EqualTo(3));
            Assert.That((int)ConditionCode.e, Is.EqualTo(5));
            Assert.That((int)ConditionCode.a, Is.EqualTo(8));
            Assert.That((int)ConditionCode.p, Is.EqualTo(11));
            Assert.That((int)ConditionCode.l, Is.EqualTo(13));
            Assert.That((int)ConditionCode.g, Is.EqualTo(16));
        });
    }
}
