namespace AnSinh.Core.People;

public enum Sex
{
    Male = 0,
    Female = 1,
}
