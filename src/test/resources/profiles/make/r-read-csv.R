# read.csv of a large generated file (made by gen-csv.py), then a summary of it.
# Usage: Rscript r-read-csv.R FILE.csv
f <- commandArgs(trailingOnly = TRUE)[1]
d <- read.csv(f)
cat("r-read-csv:", nrow(d), "rows,", ncol(d), "columns; mean of x:", mean(d$x), "\n")
s <- aggregate(x ~ group, data = d, FUN = mean)
cat("r-read-csv:", nrow(s), "groups\n")
quit(status = 0)
