# A vector grown by c() in a loop: every append copies it, R's collector frees the old copies.
x <- c()
for (i in 1:400) {
    x <- c(x, runif(1e5))
}
cat("r-grow-vector:", length(x), "values, mean", mean(x), "\n")
Sys.sleep(2)
quit(status = 0)
