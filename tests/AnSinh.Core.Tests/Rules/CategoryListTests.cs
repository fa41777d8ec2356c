using AnSinh.Core.Rules;
using Shouldly;

namespace AnSinh.Core.Tests.Rules;

public sealed class CategoryListTests
{
    [Fact]
    public void Check_SingleParentOfTwoWhoIsSeverelyDisabled_IsValid() =>
        CategoryList.Check(Programme.SocialAssistance, [new CategoryFact("4", Children: 2), new CategoryFact("6", "severe")]).ShouldBeEmpty();

    [Theory]
    [InlineData("6", null, null, "categories.severity_required")]
    [InlineData("4", null, null, "categories.children_required")]
    [InlineData("4", null, 21, "categories.children_required")]
    [InlineData("5a", "severe", null, "categories.severity_only_disability")]
    [InlineData("5a", null, 2, "categories.children_only_single_parent")]
    [InlineData("9", null, null, "categories.unknown")]
    public void Check_BadCategory_NamesTheReasonAndItsPlace(string code, string? severity, int? children, string reason)
    {
        var reasons = CategoryList.Check(Programme.SocialAssistance, [new CategoryFact("5c"), new CategoryFact(code, severity, children)]);

        var r = reasons.ShouldHaveSingleItem();
        r.Code.ShouldBe(reason);
        r.Field.ShouldBe("Categories[1]");
    }

    [Fact]
    public void Check_SameCategoryTwice_IsRefused() =>
        CategoryList.Check(Programme.SocialAssistance, [new CategoryFact("5a"), new CategoryFact("5a")]).ShouldHaveSingleItem().Code.ShouldBe("categories.duplicate");

    [Fact]
    public void Check_Empty_IsRefused() =>
        CategoryList.Check(Programme.SocialAssistance, []).ShouldHaveSingleItem().Code.ShouldBe("categories.empty");

    [Theory]
    [InlineData("social_pension", "social_pension", true)]
    [InlineData("social_pension", "5a", false)]
    [InlineData("care_support", "carer_k1_child", true)]
    [InlineData("care_support", "1", false)]
    public void Check_OtherProgrammes_HoldExactlyOneCodeOfTheirOwn(string programme, string code, bool valid) =>
        CategoryList.Check(programme, [new CategoryFact(code)]).Count.ShouldBe(valid ? 0 : 1);

    [Fact]
    public void Normalise_OrdersAsTheRulesTable()
    {
        var list = CategoryList.Normalise([new CategoryFact("6", "severe"), new CategoryFact("4", Children: 2)]);

        list.Select(c => c.Code).ShouldBe(["4", "6"]);
    }
}
