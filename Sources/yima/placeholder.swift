print("yima")
