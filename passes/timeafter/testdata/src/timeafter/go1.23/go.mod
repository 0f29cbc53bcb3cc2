module example.com/timeafter123

go 1.23
